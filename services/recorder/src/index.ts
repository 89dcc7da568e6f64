export {
  createRecorder,
  ingestedAtHeader,
  type Recorder,
  type RecorderOptions,
  type RecorderState,
} from './recorder.ts';
export { createRecorderMetrics, type RecorderMetrics, type RecorderMetricsOptions } from './metrics.ts';
export { deadLetterHeaders, deadLetterReasons, type DeadLetterReason } from './deadLetter.ts';
export { acceptedTypesByTopic, type RecorderTopics } from './topicRoutes.ts';
export { RecorderError, type RecorderErrorCode } from './errors.ts';
export { startConsumerLagPoller, type ConsumerLagOptions, type ConsumerLagPoller } from './kafka/consumerLag.ts';
