/** The overview feature's call: the cluster's components, the tools and the hints for one scope. */
import type { Status } from '../../../../contract';
import type { HttpClient } from '../../lib/http';
import { useServices, type Scope } from '../../lib/services';

export const createOverviewApi = (http: HttpClient) => ({
  status: (s: Scope) => http.get<Status>('/api/v1/status', s),
});

export const useOverviewApi = () => createOverviewApi(useServices().http);
