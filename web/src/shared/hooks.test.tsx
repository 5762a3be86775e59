// @vitest-environment jsdom
// The shared web hooks as a page uses them: useIntentKey keeps one key per submit, useListPage keeps
// the search in the URL (reload, back/forward) and sends it to the list route.
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider, useLocation, useNavigate } from 'react-router';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { useIntentKey } from './useIntentKey';
import { useListPage } from './useListPage';
import type { Page } from './api/types';

describe('useIntentKey', () => {
  it('gives the same key to every retry of a submit and a new one after success', () => {
    const { result } = renderHook(() => useIntentKey());
    const first = result.current.key();
    expect(first.length).toBeGreaterThanOrEqual(8);
    expect(result.current.key()).toBe(first); // the retry
    result.current.renew(); // it succeeded (or the form closed)
    const second = result.current.key();
    expect(second).not.toBe(first);
    expect(result.current.key()).toBe(second);
  });
});

type Row = { id: string };

function harness(initial: string) {
  const calls: Record<string, unknown>[] = [];
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const useProbe = () => {
    const lp = useListPage({
      filters: { q: 'text', status: 'list', mine: 'flag', phone: 'secret' },
      queryKey: ['rows'],
      fetch: async (q): Promise<Page<Row>> => {
        calls.push(q);
        return { items: [{ id: 'a' }], total: 41, page: q.page, pageSize: q.pageSize };
      },
    });
    return { lp, loc: useLocation(), nav: useNavigate() };
  };
  const out: { current: ReturnType<typeof useProbe> } = { current: undefined as never };
  const Probe = () => {
    out.current = useProbe();
    return null;
  };
  const router = createMemoryRouter([{ path: '/list', element: <Probe /> }], { initialEntries: [initial] });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
  const r = renderHook(() => null, {
    wrapper: ({ children }) =>
      wrapper({
        children: (
          <>
            {children}
            <RouterProvider router={router} />
          </>
        ),
      }),
  });
  return { calls, get: () => out.current, router, unmount: r.unmount };
}

describe('useListPage', () => {
  it('reads the filters and page of a reloaded URL and asks the list route for them', async () => {
    const h = harness('/list?q=wang&status=open,done&mine=true&page=3');
    await waitFor(() => expect(h.calls.length).toBe(1));
    expect(h.get().lp.filters).toEqual({ q: 'wang', status: ['open', 'done'], mine: true });
    expect(h.calls[0]).toEqual({ q: 'wang', status: 'open,done', mine: true, page: 3, pageSize: 20 });
    await waitFor(() => expect(h.get().lp.tableProps.dataSource).toEqual([{ id: 'a' }]));
    expect(h.get().lp.tableProps.pagination).toMatchObject({ current: 3, pageSize: 20, total: 41 });
  });

  it('writes a new search to the URL from page 1, keeps phone numbers out of it, and back restores the old search', async () => {
    const h = harness('/list?q=wang&page=2');
    await waitFor(() => expect(h.calls.length).toBe(1));
    act(() => h.get().lp.setFilters({ q: ' li ', phone: '13800000000' }));
    await waitFor(() => expect(h.get().loc.search).toBe('?q=li'));
    await waitFor(() => expect(h.calls.at(-1)).toEqual({ q: 'li', phone: '13800000000', page: 1, pageSize: 20 }));
    act(() => h.get().lp.setPaging(4, 20));
    await waitFor(() => expect(h.get().loc.search).toBe('?q=li&page=4'));
    await act(() => h.router.navigate(-1));
    await waitFor(() => expect(h.get().loc.search).toBe('?q=li'));
    await act(() => h.router.navigate(-1));
    await waitFor(() => expect(h.get().lp.filters).toMatchObject({ q: 'wang' }));
    expect(h.get().lp.page).toBe(2);
  });

  it('sorts through the table and leaves other params (a view switch) alone', async () => {
    const h = harness('/list?view=map');
    await waitFor(() => expect(h.calls.length).toBe(1));
    act(() => h.get().lp.tableProps.onChange({ current: 1, pageSize: 20 }, {}, { field: 'name', order: 'descend' } as never));
    await waitFor(() => expect(h.get().loc.search).toBe('?view=map&sort=name&order=desc'));
    await waitFor(() => expect(h.calls.at(-1)).toMatchObject({ sort: 'name', order: 'desc', page: 1 }));
    expect(h.get().lp.sortOrder('name')).toBe('descend');
  });
});
