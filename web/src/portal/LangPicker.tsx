import { Selector } from 'antd-mobile';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { setLang, type Lang } from '../shared/i18n';

export function LangPicker() {
  const { i18n } = useTranslation();
  const qc = useQueryClient();
  return (
    <Selector
      columns={2}
      value={[i18n.language === 'en' ? 'en' : 'zh-CN']}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'English' },
      ]}
      onChange={(v) => {
        if (!v[0]) return;
        setLang(v[0] as Lang);
        void qc.invalidateQueries();
      }}
    />
  );
}
