import type { ReactNode } from 'react';

/**
 * Forms in modals keep their OK button outside the <form>; this hidden submit button lets the
 * browser's implicit submission (Enter in a field) submit them too.
 */
export function SubmitOnEnter() {
  return <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true" />;
}

export function PageHead({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-head">
      <h1>{title}</h1>
      {extra && <div>{extra}</div>}
    </div>
  );
}
