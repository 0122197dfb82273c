import { type Client, WorkflowNotFoundError } from '@temporalio/client';

/** Waits on the workflow's result (a long poll, like the raw side), not by polling the metadata store. */
export async function workflowDone(client: Client, runId: string): Promise<void> {
  for (;;) {
    try {
      await client.workflow.getHandle(runId).result();
      return;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      await new Promise((r) => setTimeout(r, 2)); // submitted, being handed over
    }
  }
}
