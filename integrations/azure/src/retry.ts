import { setTimeout as sleep } from 'node:timers/promises';
import type {
  HttpOperationResponse,
  RequestPolicy,
  RequestPolicyFactory,
  WebResource,
} from '@azure/storage-blob';
import {
  type Backoff,
  backoffDelay,
  isRetriableNetworkError,
  isRetriableStatus,
  objectStoreBackoff,
} from '@strata/core/plugin';

export interface RetryOptions {
  readonly maxAttempts: number;
  readonly backoff?: Backoff;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** Status of a failed attempt: a response the pipeline returned, or the RestError it threw. */
function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } } | undefined;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return typeof e?.response?.status === 'number' ? e.response.status : undefined;
}

class StrataRetryPolicy implements RequestPolicy {
  constructor(
    private readonly next: RequestPolicy,
    private readonly options: RetryOptions,
  ) {}

  async sendRequest(request: WebResource): Promise<HttpOperationResponse> {
    const { maxAttempts, backoff = objectStoreBackoff, random = Math.random } = this.options;
    const wait = this.options.sleep ?? ((ms: number) => sleep(ms));
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= maxAttempts || request.abortSignal?.aborted === true;
      try {
        const response = await this.next.sendRequest(request);
        if (last || !isRetriableStatus(response.status)) return response;
      } catch (error) {
        if (last || !(isRetriableStatus(statusOf(error)) || isRetriableNetworkError(error))) throw error;
      }
      await wait(backoffDelay(attempt, backoff, random));
    }
  }
}

/**
 * A request-policy factory for a storage Pipeline that retries 408/429/5xx, timeouts and dropped
 * connections with exponential backoff and full jitter (core's backoffDelay), as the S3 and GCS SDKs
 * do. The SDK's own retry policy (no jitter, no 429) is left at one try underneath it. Each retry
 * re-sends the same request, re-signed, exactly as the SDK's policy would.
 */
export function retryPolicyFactory(options: RetryOptions): RequestPolicyFactory {
  return {
    create(next: RequestPolicy): RequestPolicy {
      return new StrataRetryPolicy(next, options);
    },
  };
}
