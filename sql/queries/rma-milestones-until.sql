-- The newest milestone touch (turnaround.job.ts reads changes up to it).
SELECT toString(max(touched_at)) AS until FROM rma_milestones
