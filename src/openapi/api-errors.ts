import { applyDecorators } from '@nestjs/common';
import { ApiResponse, OperationObject, ResponseObject } from '@nestjs/swagger';
import type { DocumentedError, DomainError } from '../errors/domain-error';
import { ErrorResponseDto } from '../errors/error-response.dto';

type Examples = Record<string, { summary: string; value: ErrorResponseDto }>;

/**
 * Documents the errors an operation answers with: one response per status, one example per error
 * class, built by the class's `example()` — so the code, status and wording are the service's own.
 * The answers every operation can give (400, 431, 413/415 with a body, 500/503) are added in one
 * place, `documentCommonErrors`. Several ApiErrors on one handler add up; on a class they apply to
 * every handler that does not document the same status itself.
 */
export function ApiErrors(...errors: DocumentedError[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...byStatus(errors)].map(([status, examples]) =>
      ApiResponse({ status, type: ErrorResponseDto, description: examples.map((e) => e.code).join(', '), examples: toExamples(examples) }),
    ),
  );
}

/** Adds the errors' examples to the operation's responses for their statuses, creating a response where needed. */
export function addErrorResponses(operation: OperationObject, ...errors: DocumentedError[]): void {
  for (const [status, examples] of byStatus(errors)) {
    const response = (operation.responses[status] ??= {
      description: '',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorResponseDto.name}` } } },
    }) as ResponseObject;
    const media = response.content!['application/json'];
    media.examples = { ...toExamples(examples), ...media.examples };
  }
}

/** Each error response described by its codes (several ApiErrors for one status leave joined descriptions). */
export function describeErrorResponses(operation: OperationObject): void {
  for (const [status, response] of Object.entries(operation.responses as Record<string, ResponseObject>)) {
    const examples = response.content?.['application/json']?.examples;
    if (Number(status) >= 400 && examples) response.description = Object.keys(examples).join(', ');
  }
}

/**
 * Each error response's `code` as an enum of the codes it can carry (those of its examples), so a
 * client generated from the document can switch on it.
 */
export function enumerateErrorCodes(operation: OperationObject): void {
  for (const [status, response] of Object.entries(operation.responses as Record<string, ResponseObject>)) {
    const media = response.content?.['application/json'];
    if (Number(status) < 400 || !media?.examples) continue;
    media.schema = {
      allOf: [
        { $ref: `#/components/schemas/${ErrorResponseDto.name}` },
        { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: Object.keys(media.examples) } } },
      ],
    };
  }
}

function byStatus(errors: DocumentedError[]): Map<number, DomainError[]> {
  const grouped = new Map<number, DomainError[]>();
  for (const error of errors.map((documented) => documented.example())) grouped.set(error.status, [...(grouped.get(error.status) ?? []), error]);
  return grouped;
}

function toExamples(errors: DomainError[]): Examples {
  return Object.fromEntries(errors.map((error) => [error.code, { summary: error.code, value: error.toBody() }]));
}
