import { loadConfig } from './config';
import { createLambdaHandler } from './lambda-handler';

// Container init: configuration is checked and the model starts loading before the first invocation.
const lambda = createLambdaHandler({ config: loadConfig() });

/** The AWS Lambda entry point for API Gateway REST (v1) and HTTP API (v2) proxy events. */
export const handler = lambda.handler;
