import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Role } from '../db/types.ts';
import { AppError } from './errors.ts';

/**
 * Every route declares who may use it. The app mounts routes only through `mountRoutes`,
 * which puts the guard in front of the handler and records the route in a table that the
 * tests walk to prove who may NOT use each route.
 */
export type Access = 'public' | 'signed_in' | readonly Role[];

export interface RouteSpec {
  method: 'get' | 'post';
  path: string;
  access: Access;
  handler: (req: Request, res: Response) => Promise<void> | void;
}

export interface RouteTableEntry {
  method: string;
  path: string;
  access: Access;
  kind: 'page' | 'api';
}

export function allows(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  if (access === 'signed_in') return true;
  return access.includes(role);
}

export function guard(access: Access): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const role = req.ctx.user?.role ?? null;
    if (allows(access, role)) return next();
    next(new AppError(role === null ? 'unauthenticated' : 'forbidden'));
  };
}

export function mountRoutes(router: Router, routes: RouteSpec[], table: RouteTableEntry[], prefix = ''): void {
  for (const route of routes) {
    router[route.method](route.path, guard(route.access), route.handler);
    table.push({ method: route.method.toUpperCase(), path: prefix + route.path, access: route.access, kind: 'page' });
  }
}
