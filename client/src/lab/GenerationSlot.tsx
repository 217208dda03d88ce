/** Where generated drawings will appear; the generator model is built in its own issue. */
export function GenerationSlot() {
  return (
    <section className="lab-card" aria-labelledby="lab-generate-heading" data-testid="lab-generation">
      <h2 id="lab-generate-heading">Generate</h2>
      <p className="lab-muted">Generation arrives with the generator model: pick a shape and watch it drawn stroke by stroke.</p>
    </section>
  );
}
