/** A filter over a list already loaded: `/` focuses it. */
export function ListFilter(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <div class="field desk-list-filter">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="search"
        data-desk-search
        aria-keyshortcuts="/"
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}
