import { useEffect, useMemo, useState } from 'react';
import { useAdmin, useFeed } from '../adminContext';
import { getJob, listJobs } from '../api/endpoints';
import { IN_FLIGHT, type TrainingJob } from '../api/types';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useResource } from '../ui/useResource';
import { JobList } from './JobList';
import { JobProgressView } from './JobProgressView';
import { TrainingForm } from './TrainingForm';
import './training.css';

/** The job list is re-read this often while a job is in flight. */
export const LIST_POLL_MS = 5_000;
/** A running job's status is polled this often when the socket has said nothing for a while. */
export const JOB_POLL_MS = 2_000;
/** Socket silence about a running job after which polling takes over. */
export const LIVE_STALE_MS = 5_000;

/**
 * Start jobs, follow them live (socket events, with polling of the job as the fallback), see
 * the list with status, duration and errors, cancel.
 */
export function TrainingSection() {
  const { client, feed } = useAdmin();
  const { state, connection } = useFeed();
  const jobs = useResource((signal) => listJobs(client, signal), [client]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // The last full read of the job on screen (it carries the per-epoch history the list may not).
  const [detail, setDetail] = useState<TrainingJob | null>(null);
  const list = jobs.data ?? [];
  const { reload } = jobs;

  // What the socket says about a job overrides the (older) list row.
  const merged = useMemo(
    () =>
      list.map((j) => {
        const live = state.jobs[j.id];
        return live ? { ...j, status: live.status, progress: live.progress ?? j.progress, error: live.error ?? j.error } : j;
      }),
    [list, state.jobs],
  );
  const selected = merged.find((j) => j.id === selectedId) ?? merged.find((j) => IN_FLIGHT.has(j.status)) ?? merged[0] ?? null;
  const anyInFlight = merged.some((j) => IN_FLIGHT.has(j.status));

  useEffect(() => {
    if (!anyInFlight) return;
    const timer = setInterval(reload, LIST_POLL_MS);
    return () => clearInterval(timer);
  }, [anyInFlight, reload]);

  // The list's statuses lag the socket: re-read it when a job the socket follows finishes.
  const finishedLive = Object.entries(state.jobs).filter(([, j]) => !IN_FLIGHT.has(j.status)).length;
  useEffect(() => {
    if (finishedLive > 0) reload();
  }, [finishedLive, reload]);

  // Polling fallback for the job on screen.
  const selectedJobId = selected?.id ?? null;
  const selectedInFlight = selected ? IN_FLIGHT.has(selected.status) : false;
  const liveAt = selectedJobId ? (state.jobs[selectedJobId]?.liveAt ?? null) : null;
  useEffect(() => {
    if (!selectedJobId) return;
    const ac = new AbortController();
    const poll = () => {
      const silent = connection !== 'open' || liveAt === null || Date.now() - liveAt > LIVE_STALE_MS;
      if (!silent) return;
      getJob(client, selectedJobId, ac.signal).then(
        (job) => {
          setDetail({ ...job, id: job.id || selectedJobId });
          feed.recordPoll(job.id || selectedJobId, { status: job.status, progress: job.progress, error: job.error });
        },
        // A failed poll is simply retried by the next one; the last known state stays shown.
        () => {},
      );
    };
    poll();
    if (!selectedInFlight) return () => ac.abort();
    const timer = setInterval(poll, JOB_POLL_MS);
    return () => {
      clearInterval(timer);
      ac.abort();
    };
  }, [client, feed, selectedJobId, selectedInFlight, connection, liveAt]);

  const started = (job: TrainingJob) => {
    if (job.id) {
      setSelectedId(job.id);
      feed.recordPoll(job.id, { status: job.status, progress: job.progress, error: job.error });
    }
    reload();
  };

  return (
    <section className="admin-section" aria-labelledby="training-title" data-testid="training">
      <div className="section-head">
        <h2 id="training-title">Training</h2>
      </div>
      <div className="training-layout">
        <TrainingForm onStarted={started} />
        <div className="training-main">
          {selected ? <JobProgressView job={selected} detail={detail?.id === selected.id ? detail : null} live={state.jobs[selected.id] ?? null} /> : <p className="empty-state card">No training job yet. Start one with the form.</p>}
        </div>
      </div>
      {jobs.error && !jobs.data ? <ErrorNotice error={jobs.error} onRetry={reload} /> : null}
      <JobList jobs={merged} selectedId={selected?.id ?? null} onSelect={setSelectedId} onChanged={reload} loading={jobs.loading && !jobs.data} />
    </section>
  );
}
