// GraphQL over HTTP with the session's bearer token. Typed errors come back as data (union members with
// __typename, code, message); only transport or masked server errors throw.

import { lang } from "./i18n.js";
import { session } from "./session.js";

export class ApiError extends Error {}

export async function gql(query, variables = {}) {
  const s = session();
  if (!s) throw new ApiError("not signed in");
  const resp = await fetch(`/graphql/${s.endpoint}`, {
    method: "POST",
    // The API renders participant texts (decisions, reasons, next action, error messages) in this language.
    headers: { "content-type": "application/json", authorization: `Bearer ${s.token}`, "accept-language": lang() },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await resp.json();
  } catch {
    throw new ApiError(`HTTP ${resp.status}`);
  }
  if (body.errors && body.errors.length) throw new ApiError(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

/** True when a union result is one of the typed errors (every error type has a code). */
export function isError(result) {
  return result && typeof result.code === "string" && typeof result.message === "string";
}
