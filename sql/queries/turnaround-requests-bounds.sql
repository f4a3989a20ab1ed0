-- How many milestone rows there are and a sorted sample of their request ids, from which
-- a full turnaround build cuts rma_id into ranges of about equal size
-- (turnaround.job.ts). The count includes rows not merged yet, so it errs towards more,
-- smaller ranges.
SELECT count() AS rows, arraySort(groupArraySample({sample:UInt32}, 1)(rma_id)) AS ids
FROM rma_milestones
