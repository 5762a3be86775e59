import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import type { Code, Codes } from './api/models';

const empty: Codes = {
  idTypes: [],
  genders: [],
  ethnicities: [],
  relations: [],
  residentRoles: [],
  residentTags: [],
  houseUses: [],
  regionLevels: [],
  placeKinds: [],
};

export function useCodes() {
  const q = useQuery({ queryKey: ['codes'], queryFn: () => api.get('/api/v1/codes'), staleTime: Infinity });
  return { ...empty, ...(q.data ?? {}) } as Codes;
}

/** Label of a code in the UI language, falling back to the code itself. */
export function useCodeLabel() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (list: Code[], code: string | null | undefined): string => {
    if (code === null || code === undefined || code === '') return '';
    const c = list.find((x) => x.code === code);
    return c ? (en ? c.en : c.zh) : code;
  };
}

/** `{ value, label }` options for antd Select in the UI language. */
export function useCodeOptions() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (list: Code[]) => list.map((c) => ({ value: c.code, label: en ? c.en : c.zh }));
}
