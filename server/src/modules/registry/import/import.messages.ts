// Messages of the bulk import (problem titles, field errors and the reasons in the report).
import type { Messages } from '../../../kernel/http/i18n.js';

export const importMessages: Messages = {
  'import.not_found': { zh: '找不到该导入任务', en: 'No such import' },
  'import.too_many_rows': { zh: '文件行数过多：最多 {limit} 行数据，本文件有 {rows} 行', en: 'Too many rows: at most {limit} data rows, this file has {rows}' },
  'import.empty': { zh: '文件中没有数据行（第一行应为表头）', en: 'The file has no data rows (the first row must be the headers)' },
  'import.unreadable': { zh: '无法读取该文件，请上传 Excel（.xlsx）或 CSV 文件', en: 'The file cannot be read; upload an Excel (.xlsx) or CSV file' },
  'import.file_missing': { zh: '上传的文件已不存在，请重新上传', en: 'The uploaded file is gone; upload it again' },
  'import.already_running': { zh: '该导入正在进行中', en: 'This import is already running' },
  'import.community_busy': { zh: '该社区已有导入正在进行，请稍后再试', en: 'Another import is running in this community; try again later' },
  'import.header_unknown': { zh: '文件中没有列“{header}”', en: 'The file has no column "{header}"' },
  'import.field_unknown': { zh: '没有目标字段 {field}', en: 'There is no target field {field}' },
  'import.fixed_not_place': {
    zh: '只有小区、楼栋、单元可以为整个文件指定一个值，“{field}”不行',
    en: 'Only estate, building and unit can be given one value for the whole file, not "{field}"',
  },
  'import.fixed_and_mapped': {
    zh: '“{field}”已对应文件中的列“{header}”，不能再指定固定值',
    en: '"{field}" is mapped to the column "{header}"; it cannot have a fixed value as well',
  },
  'import.fixed_label': { zh: '（固定值）', en: ' (fixed value)' },
  'import.no_report': { zh: '该导入没有被拒绝的行，无需报告', en: 'This import rejected no rows; there is no report' },
  'import.report_expired': {
    zh: '报告已过保存期限（{days} 天）被删除，请重新上传文件导入',
    en: 'The report was deleted after its retention period ({days} days); upload the file again',
  },
  'import.duplicate_in_file': { zh: '证件号码与第 {row} 行重复', en: 'Same ID number as row {row}' },
  'import.duplicate_house_in_file': { zh: '房屋与第 {row} 行重复', en: 'Same house as row {row}' },
  'import.id_exists': { zh: '该证件号码已登记，且信息与文件不一致（{fields}）', en: 'This ID number is already registered with different data ({fields})' },
  'import.id_exists_elsewhere': { zh: '该证件号码已在其他社区登记', en: 'This ID number is registered in another community' },
  'import.place_kind_conflict': { zh: '“{name}”已存在，但不是{kind}', en: '"{name}" exists but is not a {kind}' },
  'import.number_invalid': { zh: '应为数字', en: 'must be a number' },
  'import.floor_invalid': { zh: '楼层应为 -10 到 300 之间的整数', en: 'The floor must be a whole number from -10 to 300' },
  'import.area_invalid': { zh: '面积应大于 0 且小于 100000 平方米', en: 'The area must be above 0 and below 100000 m²' },
  'import.report_title': { zh: '导入被拒绝的行', en: 'Rejected rows' },
  'import.col_row': { zh: '行号（表格行号，表头为第 1 行）', en: 'Row (as numbered in the sheet; header row = 1)' },
  'import.col_reason': { zh: '原因', en: 'Reason' },
};
