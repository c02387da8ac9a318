/** The context feature's call: the teams and regions the user may pick in the Platform view. */
import type { Teams } from '../../../../contract';
import type { HttpClient } from '../../lib/http';
import { useServices } from '../../lib/services';

export const createContextApi = (http: HttpClient) => ({
  teams: () => http.get<Teams>('/api/v1/teams'),
});

export const useContextApi = () => createContextApi(useServices().http);
