import { App } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../shared/api';

export function useSaveSetting(communityId: string) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { component: string; key: string; value: boolean | number | string }) =>
      api.put('/api/v1/participation/settings', { body: { communityId, ...v } }),
    onSuccess: () => {
      message.success(t('common.saved'));
      qc.invalidateQueries({ queryKey: ['participation-settings'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
}
