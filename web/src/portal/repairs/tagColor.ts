// Status colours of repair tags (list and detail).
export const tagColor: Record<string, string> = {
  new: 'primary',
  assigned: 'primary',
  in_progress: 'warning',
  paused: 'warning',
  resolved: 'success',
  closed: 'default',
  cancelled: 'default',
};
