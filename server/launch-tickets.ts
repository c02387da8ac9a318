/** Single-use launch URLs on a tool's protected gateway host: issued by the gateway, asked for by the tools feature. */
import type { LaunchResult, ToolId } from '../contract';

export interface LaunchInput {
  user: { userId: number; userName: string };
  /** The user's console JWT: the gateway re-checks the user's right with it while the session lasts. */
  jwt: string;
  team: string;
  region: string;
  tool: ToolId;
  /** The protected gateway URL from access.urls, e.g. "http://gr1a2b3c-8081-dev.apps.example.com". */
  origin: string;
  /** Path on the tool the session lands on, e.g. "/d/vtuWtdumz". */
  path: string;
}

export interface LaunchTickets {
  issue(input: LaunchInput): LaunchResult;
}
