// Shared by the services pages (kept apart from ServicesTab so its pages need not import it back).
import { useSearchParams } from 'react-router';
import { useMyResident } from '../usePortal';

export const mobileColor: Record<string, string> = {
  requested: 'primary',
  confirmed: 'primary',
  declined: 'default',
  done: 'warning',
  paid: 'success',
  rated: 'success',
  cancelled: 'default',
};

/** The house the resident is browsing for (?house=…, else their first house). */
export function useHouse() {
  const me = useMyResident();
  const [params, setParams] = useSearchParams();
  const houses = me.data?.resident.houses ?? [];
  const houseId = params.get('house') ?? houses[0]?.houseId;
  return { houses, houseId, loading: me.isLoading, setHouse: (id: string) => setParams({ house: id }) };
}
