import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const colors: Record<string, string> = { pending: 'gold', approved: 'green', rejected: 'default', suspended: 'orange', revoked: 'red' };

/** An agreement's status as a coloured tag. */
export function AgreementStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={colors[status]}>{t(`exchangeOut.status.${status}`, { defaultValue: status })}</Tag>;
}

/** A dataset field code shown by its name in the standard. */
export function useFieldLabel() {
  const { t } = useTranslation();
  return (code: string) => t(`exchangeOut.field.${code}`, { defaultValue: code });
}
