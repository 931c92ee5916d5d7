/**
 * What tells a row from another shown row of the same name (shared/readable/namesake-details.ts), after
 * the name: "Rex (Breed: Husky)". Inside the row or option, so its accessible name differs too.
 */
export function NamesakeDetail(props: { detail: string | undefined }) {
  return props.detail ? <span className="muted namesake-detail"> ({props.detail})</span> : null;
}
