{{/*
The public routes of the five routed services, as compose.yml's Traefik labels declare them. Each API
route runs: security headers, the service's errors middleware (the gateway's problem details for the
statuses Traefik makes and the service never answers: its OpenAPI document's), the rate limit, the
circuit breaker, the /api strip, and the retry unless `retry` is false (a POST there must not be sent
twice). A `page` route (the web app's) has a `match` of its own and keeps its path: no /api strip.
Every service also has an ops route for /<service>/health and /<service>/docs.
*/}}
{{- define "w2meet.routes" -}}
users:
  errorStatuses: ["429", "502", "504", "599"]
  api:
    - { name: users, prefix: /api/users, retry: true }
    # Logins and email verification: users answers 429 there itself (its own limits, with their
    # Retry-After), so this route's errors middleware leaves 429 alone. No retry: a POST is not repeated.
    - { name: users-auth, prefix: /api/auth, retry: false, errorStatuses: ["502", "504", "599"] }
availability:
  errorStatuses: ["429", "504", "599"]
  api:
    - { name: availability, prefix: /api/availability, retry: true }
suggestions:
  errorStatuses: ["429", "599"]
  api:
    - { name: suggestions, prefix: /api/suggestions, retry: true }
worker:
  errorStatuses: ["429", "502", "504", "599"]
  api:
    # No retry here: a POST /api/tasks the worker took but could not answer must not be sent twice.
    - { name: worker, prefix: /api/tasks, retry: false }
web:
  errorStatuses: ["429", "502", "504", "599"]
  api:
    # The page sends its own Content-Security-Policy; the shared security headers set none.
    - { name: web, page: true, match: "Path(`/`) || Path(`/group`) || PathPrefix(`/assets/`)", retry: true }
{{- end }}

{{/* A middleware reference: (dict "root" $ "name" "strip-api") → w2meet-strip-api. */}}
{{- define "w2meet.middlewareRef" -}}
- name: {{ include "w2meet.componentName" (dict "root" .root "component" .name) }}
{{- end }}

{{/* A route's match, limited to ingress.host when one is set. */}}
{{- define "w2meet.match" -}}
{{- if .root.Values.ingress.host -}}
Host(`{{ .root.Values.ingress.host }}`) && ({{ .match }})
{{- else -}}
{{ .match }}
{{- end }}
{{- end }}

{{/* The ops paths of a service: /<service>/health… and /<service>/docs…, with the prefix stripped. */}}
{{- define "w2meet.opsMatch" -}}
Path(`/{{ . }}/health`) || PathPrefix(`/{{ . }}/health/`) || Path(`/{{ . }}/docs`) || PathPrefix(`/{{ . }}/docs/`)
{{- end }}

{{/* Entry points and TLS of every IngressRoute. */}}
{{- define "w2meet.ingressSpecHead" -}}
{{- $ingress := .Values.ingress }}
{{- if $ingress.tls.enabled }}
entryPoints: {{ toJson $ingress.tls.entryPoints }}
tls: {{ if $ingress.tls.secretName }}{ secretName: {{ $ingress.tls.secretName }} }{{ else }}{}{{ end }}
{{- else }}
entryPoints: {{ toJson $ingress.entryPoints }}
{{- end }}
{{- end }}

{{/* The head of a Middleware: (dict "root" $ "name" "strip-api" "component" "gateway"). */}}
{{- define "w2meet.middlewareHead" -}}
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: {{ include "w2meet.componentName" (dict "root" .root "component" .name) }}
  labels:
    {{- include "w2meet.labels" (dict "root" .root "component" .component) | nindent 4 }}
{{- end }}
