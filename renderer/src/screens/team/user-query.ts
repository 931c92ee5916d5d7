import { USER_SORTS, type UserSort } from '../../../../shared/team';

/** One page of the user list: what the server searches, sorts and pages (ADMIN-1), never the renderer. */
export interface UserQuery {
  search: string;
  sort: UserSort;
  order: 'asc' | 'desc';
  offset: number;
}

export const USERS_PER_PAGE = 50;

export const FIRST_PAGE: UserQuery = { search: '', sort: 'username', order: 'asc', offset: 0 };

export const SORT_LABELS: Record<UserSort, string> = {
  username: 'User name',
  name: 'Name',
  role: 'Role',
  lastSignIn: 'Last sign-in',
  createdAt: 'Added',
};

export { USER_SORTS };
