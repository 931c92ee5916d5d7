import { ENTITY_TYPES, entities } from '../../shared/entities';

export function App() {
  return (
    <main>
      <h1>Curio</h1>
      <nav aria-label="Catalog">
        <ul>
          {ENTITY_TYPES.map((type) => (
            <li key={type}>{entities[type].pluralLabel}</li>
          ))}
        </ul>
      </nav>
    </main>
  );
}
