import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { ROLES, type Role } from '../../../../shared/protocol';
import { useTRPC } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { ErrorText } from '../../components/ErrorText';
import { UserActionDialog, type UserAction } from './UserActionDialog';
import { describeState, type TeamUser } from './user-change';
import { pageRange } from '../../lib/words';
import { FIRST_PAGE, SORT_LABELS, USER_SORTS, USERS_PER_PAGE, type UserQuery } from './user-query';

/**
 * The server's users, one page at a time: the server searches, sorts and pages (ADMIN-1), so a team of
 * thousands stays quick. Every change asks first, saying what it does to the user's devices.
 */
export function UsersTable() {
  const trpc = useTRPC();
  const [query, setQuery] = useState<UserQuery>(FIRST_PAGE);
  const search = useDeferredValue(query.search);
  const users = useQuery({
    ...trpc.team.users.queryOptions({ ...query, search: search || undefined, limit: USERS_PER_PAGE }),
    placeholderData: keepPreviousData,
  });
  const [asking, setAsking] = useState<{ user: TeamUser; action: UserAction } | null>(null);
  const ask = (user: TeamUser, action: UserAction) => setAsking({ user, action });
  const page = users.data;
  const change = (patch: Partial<UserQuery>) => setQuery((q) => ({ ...q, offset: 0, ...patch }));
  return (
    <section aria-labelledby="users-heading">
      <h3 id="users-heading">Users</h3>
      <div className="toolbar" role="search" aria-label="Find users">
        <label>
          Search users
          <input
            type="search"
            value={query.search}
            onChange={(e) => change({ search: e.target.value })}
            placeholder="User name or name"
          />
        </label>
        <label>
          Sort by
          <select value={query.sort} onChange={(e) => change({ sort: e.target.value as UserQuery['sort'] })}>
            {USER_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order
          <select value={query.order} onChange={(e) => change({ order: e.target.value as UserQuery['order'] })}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </label>
      </div>
      <ErrorText error={users.error} />
      <DataTable
        label="Users"
        rows={page?.users}
        rowKey={(user) => user.id}
        empty="No users match the search."
        columns={[
          { header: 'User name', cell: (user) => user.username },
          { header: 'Name', cell: (user) => user.name },
          {
            header: 'Role',
            cell: (user) => (
              <select
                aria-label={`Role of ${user.username}`}
                value={user.role}
                onChange={(e) => ask(user, { kind: 'role', role: e.target.value as Role })}
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
            ),
          },
          { header: 'State', cell: describeState },
          {
            header: 'Last sign-in',
            cell: (user) =>
              user.lastSignIn
                ? `${new Date(user.lastSignIn.at).toLocaleString()} on ${user.lastSignIn.device}`
                : 'never',
          },
          { header: 'Devices', cell: (user) => user.liveSessions },
          { header: 'Actions', cell: (user) => <UserActions user={user} ask={ask} /> },
        ]}
      />
      {page ? (
        <div className="toolbar" role="group" aria-label="Pages of users">
          <span role="status">
            {pageRange('Users', query.offset, page.users.length, page.total, 'No users match.')}
          </span>
          <button
            type="button"
            className="btn"
            disabled={query.offset === 0}
            onClick={() => setQuery((q) => ({ ...q, offset: Math.max(0, q.offset - USERS_PER_PAGE) }))}
          >
            Previous page
          </button>
          <button
            type="button"
            className="btn"
            disabled={query.offset + USERS_PER_PAGE >= page.total}
            onClick={() => setQuery((q) => ({ ...q, offset: q.offset + USERS_PER_PAGE }))}
          >
            Next page
          </button>
        </div>
      ) : null}
      {asking ? <UserActionDialog {...asking} onClose={() => setAsking(null)} /> : null}
    </section>
  );
}

/** The row's buttons; each opens a question first. Names carry the user name for screen readers and tests. */
function UserActions({ user, ask }: { user: TeamUser; ask: (user: TeamUser, action: UserAction) => void }) {
  const button = (label: string, action: UserAction) => (
    <button type="button" className="btn" onClick={() => ask(user, action)}>
      {label}
    </button>
  );
  return (
    <div className="toolbar">
      {button(`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`, {
        kind: user.disabled ? 'enable' : 'disable',
      })}
      {button(`Rename ${user.username}`, { kind: 'rename' })}
      {button(user.invited ? `New invitation for ${user.username}` : `Reset password of ${user.username}`, {
        kind: 'setup-code',
      })}
      {user.setupCode ? button(`Withdraw setup code of ${user.username}`, { kind: 'revoke-code' }) : null}
      {button(`Erase ${user.username}`, { kind: 'erase' })}
    </div>
  );
}
