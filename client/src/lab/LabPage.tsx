export function LabPage() {
  return (
    <main id="main" className="page placeholder" tabIndex={-1} data-testid="lab-page">
      <h1>Lab</h1>
      <p>Try the live shape model: recognition as you draw and generated drawings. Coming soon.</p>
    </main>
  );
}
