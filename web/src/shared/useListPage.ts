// The wiring every console list page shares: filters, page and sort live in the URL search params
// (so they survive reload and back/forward, and a link shows the same list), the list query, and
// the props of the antd Table.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { FormInstance, TablePaginationConfig } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import type { Page } from './api/types';

/**
 * How a filter is written in the URL: text, a comma-separated list, or a flag (present = true).
 * 'secret' is text kept out of the URL (phone or ID numbers must not land in the browser's
 * history or a shared link); it lasts while the page is open.
 */
export type FilterKind = 'text' | 'list' | 'flag' | 'secret';
export type FilterSpec = Record<string, FilterKind>;
export type FilterValues<S extends FilterSpec> = { [K in keyof S]?: S[K] extends 'list' ? string[] : S[K] extends 'flag' ? boolean : string };
/** The filters as the API takes them: lists comma-joined, flags true or absent. */
export type FilterQuery<S extends FilterSpec> = { [K in keyof S]?: S[K] extends 'flag' ? true : string };

export interface ListQuery {
  page: number;
  pageSize: number;
  sort?: string;
  order?: 'asc' | 'desc';
}

/** What a list route answers: the paging envelope, perhaps with more (totals). */
type Listing = Page<unknown>;

export interface ListPageOptions<L extends Listing, S extends FilterSpec> {
  /** The filters the page offers and how each is written in the URL. */
  filters: S;
  /** Names the list in the query cache; the filters, extra and paging are appended. */
  queryKey: readonly unknown[];
  fetch: (q: FilterQuery<S> & ListQuery & Record<string, string | number | boolean | undefined>) => Promise<L>;
  /** Parameters that are not filters of the page (e.g. the current place). */
  extra?: Record<string, string | number | boolean | undefined>;
  pageSize?: number;
  /** Ignore the URL's paging (e.g. a board view that shows the first 100). */
  fixedPaging?: ListQuery;
  /** The antd Form holding the filters: set from the URL on load and on back/forward. */
  form?: FormInstance;
  enabled?: boolean;
  refetchInterval?: number;
}

function read<S extends FilterSpec>(spec: S, sp: URLSearchParams): FilterValues<S> {
  const out: Record<string, unknown> = {};
  for (const [k, kind] of Object.entries(spec)) {
    const v = sp.get(k);
    if (v === null || v === '' || kind === 'secret') continue;
    out[k] = kind === 'list' ? v.split(',').filter(Boolean) : kind === 'flag' ? v === 'true' || undefined : v;
  }
  return out as FilterValues<S>;
}

function toQuery<S extends FilterSpec>(spec: S, f: FilterValues<S>): FilterQuery<S> {
  const out: Record<string, unknown> = {};
  for (const [k, kind] of Object.entries(spec)) {
    const v = (f as Record<string, unknown>)[k];
    if (kind === 'list' && Array.isArray(v) && v.length) out[k] = v.join(',');
    else if (kind === 'flag' && v === true) out[k] = true;
    else if ((kind === 'text' || kind === 'secret') && typeof v === 'string' && v.trim()) out[k] = v.trim();
  }
  return out as FilterQuery<S>;
}

export function useListPage<L extends Listing, S extends FilterSpec>(opts: ListPageOptions<L, S>) {
  type Row = L['items'][number];
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const spec = opts.filters;
  const key = sp.toString();
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the URL's text stands for sp; spec is fixed
  const filters = useMemo(() => ({ ...read(spec, sp), ...secrets }) as FilterValues<S>, [key, secrets]);
  const query = useMemo(() => toQuery(spec, filters), [spec, filters]);
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const pageSize = Math.max(1, Number(sp.get('pageSize')) || opts.pageSize || 20);
  const sort = sp.get('sort') ?? undefined;
  const order = sort ? (sp.get('order') === 'desc' ? 'desc' : 'asc') : undefined;

  // each change is a history entry (back/forward walks through the searches); other params stay
  const update = useCallback(
    (change: (next: URLSearchParams) => void) =>
      setSp((prev) => {
        const next = new URLSearchParams(prev);
        change(next);
        return next;
      }),
    [setSp],
  );

  const setFilters = useCallback(
    (values: FilterValues<S>) => {
      const q = toQuery(spec, values) as Record<string, unknown>;
      setSecrets(
        Object.fromEntries(
          Object.keys(spec)
            .filter((k) => spec[k] === 'secret' && q[k] !== undefined)
            .map((k) => [k, String(q[k])]),
        ),
      );
      update((next) => {
        for (const k of Object.keys(spec)) {
          if (q[k] === undefined || spec[k] === 'secret') next.delete(k);
          else next.set(k, String(q[k]));
        }
        next.delete('page');
      });
    },
    [update, spec],
  );

  const setPaging = useCallback(
    (p: number, size: number) =>
      update((next) => {
        if (size !== pageSize) p = 1;
        if (p > 1) next.set('page', String(p));
        else next.delete('page');
        if (size !== (opts.pageSize ?? 20)) next.set('pageSize', String(size));
        else next.delete('pageSize');
      }),
    [update, pageSize, opts.pageSize],
  );

  const setSort = useCallback(
    (field?: string, dir?: 'asc' | 'desc') =>
      update((next) => {
        if (field && dir) {
          next.set('sort', field);
          next.set('order', dir);
        } else {
          next.delete('sort');
          next.delete('order');
        }
        next.delete('page');
      }),
    [update],
  );

  // the filter form shows what the URL says (first load, reload, back/forward)
  const form = opts.form;
  useEffect(() => {
    if (!form) return;
    form.resetFields();
    form.setFieldsValue(filters as never);
  }, [form, filters]);

  const params = { ...query, ...opts.extra, page, pageSize, ...(sort ? { sort, order } : {}), ...opts.fixedPaging } as FilterQuery<S> &
    ListQuery &
    Record<string, string | number | boolean | undefined>;
  const list = useQuery({
    queryKey: [...opts.queryKey, params],
    queryFn: () => opts.fetch(params),
    placeholderData: keepPreviousData,
    enabled: opts.enabled,
    refetchInterval: opts.refetchInterval,
  });

  const pagination: TablePaginationConfig = {
    current: page,
    pageSize,
    total: list.data?.total ?? 0,
    showSizeChanger: true,
    showTotal: (n) => t('common.total', { count: n }),
  };

  const tableProps = {
    rowKey: 'id' as const,
    loading: list.isFetching,
    dataSource: (list.data?.items ?? []) as Row[],
    pagination,
    onChange: (p: TablePaginationConfig, _f: unknown, sorter: SorterResult<Row> | SorterResult<Row>[]) => {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const field = s?.order ? String(s.field) : undefined;
      const dir = s?.order === 'descend' ? 'desc' : s?.order === 'ascend' ? 'asc' : undefined;
      if (field !== sort || dir !== order) setSort(field, dir);
      else setPaging(p.current ?? 1, p.pageSize ?? pageSize);
    },
  };

  /** The sortOrder of a column, for `columns: [{ sorter: true, sortOrder: sortOrder('name') }]`. */
  const sortOrder = (field: string) => (sort === field ? (order === 'desc' ? 'descend' : 'ascend') : null);

  return { filters, query, setFilters, page, pageSize, setPaging, sort, order, setSort, sortOrder, list, tableProps, params };
}
