/** The view's snapshot once it has synced; before that every caller answers 503 UNAVAILABLE. */
import { AppError } from '../../errors';
import type { ClusterSnapshot, ClusterView } from './types';

export function syncedSnapshot(view: ClusterView): ClusterSnapshot {
  const s = view.snapshot();
  if (!s.synced)
    throw new AppError('UNAVAILABLE', 'the cluster view is not synced yet; retry in a few seconds');
  return s;
}
