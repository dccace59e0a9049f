/** JSON schemas of the service's requests and responses; Fastify validates the one and serialises with the other. */
import type { ServiceLimits } from './limits.js';

const prediction = {
  type: 'object',
  required: ['label', 'score', 'scores'],
  properties: {
    label: { type: 'string' },
    score: { type: 'number' },
    scores: { type: 'object', additionalProperties: { type: 'number' } },
  },
} as const;

export function predictSchema(limits: ServiceLimits) {
  return {
    body: {
      type: 'object',
      required: ['texts'],
      additionalProperties: false,
      properties: {
        texts: {
          type: 'array',
          minItems: 1,
          maxItems: limits.maxTexts,
          items: { type: 'string', maxLength: limits.maxTextChars },
        },
      },
    },
    response: {
      200: {
        type: 'object',
        required: ['predictions'],
        properties: { predictions: { type: 'array', items: prediction } },
      },
    },
  } as const;
}

export function explainSchema(limits: ServiceLimits) {
  return {
    body: {
      type: 'object',
      required: ['text'],
      additionalProperties: false,
      properties: { text: { type: 'string', maxLength: limits.maxTextChars } },
    },
    response: {
      200: {
        type: 'object',
        required: [...prediction.required, 'method', 'words', 'attributions'],
        properties: {
          ...prediction.properties,
          method: { type: 'string', enum: ['model', 'occlusion'] },
          words: {
            type: 'array',
            items: {
              type: 'object',
              required: ['word', 'start', 'end', 'weight'],
              properties: {
                word: { type: 'string' },
                start: { type: 'integer' },
                end: { type: 'integer' },
                weight: { type: 'number' },
              },
            },
          },
          attributions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['token', 'weight'],
              properties: { token: { type: 'string' }, weight: { type: 'number' } },
            },
          },
        },
      },
    },
  } as const;
}

/** Request bodies as the schemas above let them through. */
export interface PredictBody {
  readonly texts: readonly string[];
}

export interface ExplainBody {
  readonly text: string;
}
