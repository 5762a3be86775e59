// What can be shared: datasets and their fields, by the codes of the unified data standard
// (docs/data-standard.md). An agreement names one dataset and exactly which of its fields.
export interface DatasetField {
  code: string;
  zh: string;
  en: string;
  personal: boolean;
}

export interface Dataset {
  code: string;
  zh: string;
  en: string;
  fields: DatasetField[];
}

export const datasets: Dataset[] = [
  {
    code: 'registry.residents',
    zh: '实有人口（居民）',
    en: 'Residents',
    fields: [
      { code: 'name', zh: '姓名', en: 'Name', personal: true },
      { code: 'idNumber', zh: '公民身份号码', en: 'ID number', personal: true },
      { code: 'gender', zh: '性别（GB/T 2261.1）', en: 'Gender (GB/T 2261.1)', personal: true },
      { code: 'birthDate', zh: '出生日期', en: 'Birth date', personal: true },
      { code: 'ethnicity', zh: '民族（GB 3304）', en: 'Ethnicity (GB 3304)', personal: true },
      { code: 'phone', zh: '联系电话', en: 'Phone', personal: true },
      { code: 'address', zh: '居住地址', en: 'Address', personal: true },
      {
        code: 'tags',
        zh: '人员标签（低保、特困、残疾、高龄补贴等）',
        en: 'Tags (subsistence allowance, extreme poverty, disability, old-age allowance …)',
        personal: true,
      },
      { code: 'status', zh: '居住状态', en: 'Residence status', personal: false },
    ],
  },
];

export function datasetOf(code: string): Dataset | undefined {
  return datasets.find((d) => d.code === code);
}
