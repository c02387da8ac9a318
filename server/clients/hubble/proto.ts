/**
 * Loads the Observer/Flow/Relay .proto subset shipped beside this file (server/clients/hubble/proto/) at run time.
 * Loading is lazy and cached: nothing is read at import time.
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Include root, like cilium's api/v1/: imports read "flow/flow.proto". */
export const PROTO_ROOT = fileURLToPath(new URL('./proto/', import.meta.url));

/** The same options on both sides (client and fake relay), so both see one JS shape. */
export const LOADER_OPTIONS: protoLoader.Options = {
  includeDirs: [PROTO_ROOT],
  keepCase: true,
  enums: String,
  longs: Number,
  defaults: true,
  oneofs: true,
};

let cached: { definition: protoLoader.PackageDefinition; grpcObject: grpc.GrpcObject } | null = null;

/** The observer package (+ flow, relay) as a grpc-js object; `observer.Observer` is the service constructor. */
export function loadObserverProto(): {
  definition: protoLoader.PackageDefinition;
  grpcObject: grpc.GrpcObject;
} {
  if (!cached) {
    const definition = protoLoader.loadSync(['observer/observer.proto'], LOADER_OPTIONS);
    cached = { definition, grpcObject: grpc.loadPackageDefinition(definition) };
  }
  return cached;
}

/** `observer.Observer` client constructor. */
export function observerClientConstructor(): grpc.ServiceClientConstructor {
  const observer = loadObserverProto().grpcObject.observer as grpc.GrpcObject;
  return observer.Observer as grpc.ServiceClientConstructor;
}

/** `observer.Observer` service definition, for servers (the fake relay). */
export function observerServiceDefinition(): grpc.ServiceDefinition {
  return observerClientConstructor().service;
}

/**
 * Encodes then decodes one GetFlowsResponse with the real codec: gives the exact object a client receives
 * (every default filled in). Used by tests to build wire-shaped flows from partial fixtures.
 */
export function roundTripGetFlowsResponse(message: object): unknown {
  const method = observerServiceDefinition().GetFlows;
  if (!method) throw new Error('GetFlows missing from observer.proto');
  return method.responseDeserialize(method.responseSerialize(message));
}
