// Unit tests of the readers: encodings, cell values, header synonyms, value codes.
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { cellText, numberText, parseCsv, readSheet } from './parse.js';
import { checkMapping, codeOf, dateOf, numberOf, suggestMapping, tagsOf } from './mapping.js';

describe('import parse', () => {
  it('reads UTF-8 with and without BOM, and GBK, to the same rows', () => {
    const text = '姓名,房号\r\n张三,101\r\n\r\n李四,"102"\r\n';
    for (const data of [Buffer.from(text), Buffer.from('\uFEFF' + text), iconv.encode(text, 'gbk')]) {
      const s = parseCsv(data);
      expect(s.headers).toEqual(['姓名', '房号']);
      expect(s.rows).toEqual([
        { n: 2, cells: ['张三', '101'] },
        { n: 4, cells: ['李四', '102'] },
      ]);
    }
    expect(parseCsv(iconv.encode(text, 'gbk')).encoding).toBe('gb18030');
  });

  it('guesses a semicolon or tab delimiter, names blank and repeated headers', () => {
    expect(parseCsv(Buffer.from('a;b\n1;2\n')).rows[0].cells).toEqual(['1', '2']);
    expect(parseCsv(Buffer.from('a\tb\n1\t2\n')).rows[0].cells).toEqual(['1', '2']);
    expect(parseCsv(Buffer.from('姓名,,姓名\n1,2,3\n')).headers).toEqual(['姓名', '列2', '姓名 (2)']);
  });

  it('turns cell values into plain strings', () => {
    expect(numberText(110105198001011234)).not.toMatch(/e/i);
    expect(numberText(13800138000)).toBe('13800138000');
    expect(numberText(89.5)).toBe('89.5');
    expect(cellText(new Date(Date.UTC(1990, 0, 2)))).toBe('1990-01-02');
    expect(cellText({ formula: 'A1', result: 42 } as never)).toBe('42');
    expect(cellText({ richText: [{ text: ' 张' }, { text: '三 ' }] } as never)).toBe('张三');
    expect(cellText({ text: 'link', hyperlink: 'http://x' } as never)).toBe('link');
  });

  it('refuses empty, unknown and oversized input with clear codes', async () => {
    await expect(readSheet(Buffer.alloc(0), 'a.csv')).rejects.toMatchObject({ status: 422, code: 'import.empty' });
    await expect(readSheet(Buffer.from('%PDF-1.7'), 'a.csv')).rejects.toMatchObject({ status: 415, code: 'files.bad_type' });
    await expect(readSheet(Buffer.alloc(20 * 1024 * 1024 + 1, 'a'), 'a.csv')).rejects.toMatchObject({ status: 413, code: 'files.too_large' });
  });
});

describe('import mapping', () => {
  it('suggests fields from zh and en headers, each header once', () => {
    const m = suggestMapping('residents', [
      '姓名',
      '证件号码',
      '联系电话',
      '性别*',
      '出生日期',
      '民族',
      '小区',
      '楼号',
      '单元',
      '门牌号',
      '与户主关系',
      '身份',
      '迁入日期',
      '标签',
      '备注',
    ]);
    expect(m).toEqual({
      name: '姓名',
      idType: null,
      idNumber: '证件号码',
      gender: '性别*',
      birthDate: '出生日期',
      ethnicity: '民族',
      phone: '联系电话',
      estate: '小区',
      building: '楼号',
      unit: '单元',
      house: '门牌号',
      role: '身份',
      relation: '与户主关系',
      moveIn: '迁入日期',
      tags: '标签',
    });
    expect(suggestMapping('residents', ['Name', 'ID number', 'Phone', 'Estate', 'Building', 'Room'])).toMatchObject({
      name: 'Name',
      idNumber: 'ID number',
      phone: 'Phone',
      house: 'Room',
    });
    expect(suggestMapping('houses', ['小区', '楼栋', '房号', '面积（㎡）', '楼层', '用途'])).toMatchObject({
      areaM2: '面积（㎡）',
      floor: '楼层',
      houseUse: '用途',
    });
    expect(checkMapping('houses', ['小区'], { estate: '小区' }).map((e) => e.field)).toEqual(['mapping.building', 'mapping.house']);
  });

  it('reads codes or their names', () => {
    expect(['男', '女', '1', '2', 'Female', '男性'].map((v) => codeOf('gender', v))).toEqual(['1', '2', '1', '2', '2', '1']);
    expect(['汉族', '汉', '01', '1', 'Hui', '维吾尔'].map((v) => codeOf('ethnicity', v))).toEqual(['01', '01', '01', '01', '03', '05']);
    expect(['业主', 'owner', '租客', '家庭成员'].map((v) => codeOf('role', v))).toEqual(['owner', 'owner', 'tenant', 'family']);
    expect(['配偶', '10', '户主', '妻子', 'Spouse'].map((v) => codeOf('relation', v))).toEqual(['10', '10', '02', '12', '10']);
    expect(codeOf('houseUse', '住宅')).toBe('residential');
    expect(codeOf('gender', '外星')).toBe('外星'); // left for validation to name
    expect(tagsOf('独居、党员,低保；volunteer')).toEqual(['living_alone', 'party_member', 'low_income', 'volunteer']);
    expect(['1990-1-2', '1990/01/02', '1990.1.2', '1990年1月2日', '19900102', '32875'].map(dateOf)).toEqual(Array(6).fill('1990-01-02'));
    expect([numberOf('89.5㎡'), numberOf('12层'), numberOf('abc')]).toEqual([89.5, 12, NaN]);
  });
});
