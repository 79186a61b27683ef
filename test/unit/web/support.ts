import { generateKeyPairSync } from 'node:crypto';
import { createJwtIssuer, type JwtIssuer } from '../../../shared/auth/jwt.js';
import type { Submission } from '../../../shared/domain/index.js';
import {
  createSessionVerifier,
  formTokenForSession,
  serveWeb,
  type WebDependencies,
  type WebRequest,
  type WebResponse,
} from '../../../shared/web/index.js';
import {
  FakeWorkflow,
  fixedClock,
  InMemoryApprovalStore,
  InMemoryAuditLog,
  InMemoryCatalogStore,
  InMemoryObjectStore,
  InMemorySubmissionStore,
} from '../../support/fakes.js';

/** The issuer and audience of the tests' drafter tokens. */
export const ISSUER = 'https://idp.example.gov.cn';
export const AUDIENCE = 'gongkai-web';
export const SIGN_IN_URL = '/local/sign-in';
export const HOST = 'gongkai.example.gov.cn';

/** A signing key and an issuer for it (EC P-256: fast to generate). */
export function anIssuer(options: { kid?: string; now?: () => Date; audience?: string } = {}): JwtIssuer {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return createJwtIssuer({
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    kid: options.kid ?? 'test-key',
    issuer: ISSUER,
    audience: options.audience ?? AUDIENCE,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

/** The pages over in-memory stores, with a session verifier trusting `issuer`. */
export function aWebApp(issuer: JwtIssuer = anIssuer()) {
  const clock = fixedClock('2019-07-19T10:00:00+08:00');
  const deps = {
    sessions: createSessionVerifier({
      loadJwks: async () => issuer.jwks(),
      issuer: ISSUER,
      audience: AUDIENCE,
    }),
    signInUrl: SIGN_IN_URL,
    submissions: new InMemorySubmissionStore(),
    audit: new InMemoryAuditLog(),
    approvals: new InMemoryApprovalStore(),
    uploads: new InMemoryObjectStore(),
    work: new InMemoryObjectStore(),
    workflow: new FakeWorkflow(),
    catalog: new InMemoryCatalogStore(),
    published: new InMemoryObjectStore(),
    now: clock.now,
  } satisfies WebDependencies;
  return { deps, issuer, clock };
}

/** A signed-in drafter's token. */
export function tokenFor(
  issuer: JwtIssuer,
  drafter: { id: string; name: string; email: string } = {
    id: 'drafter-001',
    name: '李文',
    email: 'liwen@example.gov.cn',
  },
): string {
  return issuer.issue({ sub: drafter.id, name: drafter.name, email: drafter.email }).token;
}

/** A page request as API Gateway v2 hands it over (cookies apart from the headers). */
export function aRequest(overrides: Partial<WebRequest> & { token?: string } = {}): WebRequest {
  const { token, ...rest } = overrides;
  return {
    method: 'GET',
    path: '/app',
    query: {},
    headers: { host: HOST },
    ...(token === undefined ? {} : { cookies: [`gk_session=${token}`] }),
    ownHosts: [HOST],
    ...rest,
  };
}

/** A multipart body built the way a browser builds it. */
export async function multipart(
  fields: Record<string, string>,
  files: { name: string; fileName: string; type: string; content: string }[] = [],
): Promise<{ body: Uint8Array; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files)
    form.append(file.name, new File([file.content], file.fileName, { type: file.type }));
  const request = new Request('http://x.invalid/', { method: 'POST', body: form });
  return {
    body: new Uint8Array(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? '',
  };
}

/** Text fields of a complete, valid form (two review steps). */
export function validFields(token: string): Record<string, string> {
  return {
    form_token: formTokenForSession(token),
    'metadata.title': '银川市大数据产业发展服务中心2019年政务公开实施方案',
    'metadata.issuingBody': '银川市大数据产业发展服务中心',
    'metadata.responsibleDepartment': '综合科',
    'metadata.documentNumber': '银大数发〔2019〕12号',
    'metadata.writtenDate': '2019-07-19',
    'metadata.subjectCategory': '综合政务/政务公开',
    'metadata.bodyCode': '640100-141',
    'metadata.firstInterpreter.name': '王川',
    'metadata.firstInterpreter.position': '中心主任',
    'metadata.plannedReleaseAt': '2019-07-22T09:00',
    'metadata.disclosure.attribute': 'PROACTIVE',
    'metadata.reviewSteps.0.name': '公开审查',
    'metadata.reviewSteps.0.timeoutHours': '72',
    'metadata.reviewSteps.0.approvers.0.name': '钱审',
    'metadata.reviewSteps.0.approvers.0.email': 'qian@example.gov.cn',
    'metadata.reviewSteps.1.name': '审签',
    'metadata.reviewSteps.1.timeoutHours': '48',
    'metadata.reviewSteps.1.approvers.0.name': '赵审',
    'metadata.reviewSteps.1.approvers.0.email': 'zhaoshen@example.gov.cn',
  };
}

/** The two files of a valid form. */
export const VALID_FILES = [
  { name: 'documents.policy', fileName: '实施方案.txt', type: 'text/plain', content: '原文正文' },
  {
    name: 'documents.interpretation',
    fileName: '解读.txt',
    type: 'text/plain',
    content: '《银川市大数据产业发展服务中心2019年政务公开实施方案》解读',
  },
];

/** A same-origin form POST. */
export async function aFormPost(
  path: string,
  token: string,
  fields: Record<string, string>,
  files = VALID_FILES,
): Promise<WebRequest> {
  const { body, contentType } = await multipart(fields, files);
  return aRequest({
    method: 'POST',
    path,
    token,
    headers: { host: HOST, 'content-type': contentType, 'sec-fetch-site': 'same-origin', origin: 'null' },
    body,
  });
}

/** Serves a request. */
export function serve(deps: WebDependencies, request: WebRequest): Promise<WebResponse> {
  return serveWeb(request, deps);
}

/** Stores a submission. */
export async function stored(deps: { submissions: InMemorySubmissionStore }, submission: Submission) {
  await deps.submissions.create(submission);
  return submission;
}
