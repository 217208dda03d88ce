export function AdminPage() {
  return (
    <main id="main" className="page placeholder" tabIndex={-1} data-testid="admin-page">
      <h1>Admin</h1>
      <p>Curate the dataset, train models and choose the live one. Coming soon.</p>
    </main>
  );
}
