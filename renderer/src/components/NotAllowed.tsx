import { usePermission } from '../api/permissions';
import type { Permission } from '../../../shared/permissions';

/** Says why an action is missing or disabled for this role (nothing when it is allowed). */
export function NotAllowed(props: { permission: Permission }) {
  const { reason } = usePermission(props.permission);
  if (!reason) return null;
  return (
    <p className="muted" role="note">
      {reason}
    </p>
  );
}
