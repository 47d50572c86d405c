{{/*
The environment of each service, as compose.yml gives it: secrets by secretKeyRef, calls to other
services at their headless Services, then the plain settings of values.yaml and extraEnv.
Called with (dict "root" $ "component" "users").
*/}}

{{- define "w2meet.env" }}
{{- $root := .root }}
{{- $svc := index $root.Values .component }}
- name: PORT
  value: {{ $svc.port | quote }}
{{- include "w2meet.settingsEnv" (dict "settings" $root.Values.commonSettings) }}
{{- include (printf "w2meet.env.%s" .component) . }}
{{- include "w2meet.settingsEnv" (dict "settings" $svc.settings) }}
{{- with $svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* JWKS_URL: the users service's public keys, which every other service verifies tokens with. */}}
{{- define "w2meet.env.jwks" }}
- name: JWKS_URL
  value: {{ printf "%s/auth/jwks.json" (include "w2meet.serviceUrl" (dict "root" .root "component" "users")) | quote }}
{{- end }}

{{/* A base URL setting pointing at another service: (dict "root" $ "env" "USERS_URL" "to" "users"). */}}
{{- define "w2meet.env.url" }}
- name: {{ .env }}
  value: {{ include "w2meet.serviceUrl" (dict "root" .root "component" .to) | quote }}
{{- end }}

{{/*
A service's own database: its URL from a Secret; no administrative URL and no migrations at start-up,
since the release's migration Job applies them once (templates/migrations-job.yaml).
*/}}
{{- define "w2meet.env.database" }}
{{- include "w2meet.secretEnv" (dict "root" .root "env" "DATABASE_URL" "secret" (printf "%sDatabase" .component) "key" "urlKey" "devKey" (printf "%s_DATABASE_URL" (upper .component))) }}
- name: DATABASE_ADMIN_URL
  value: ""
- name: MIGRATE_ON_START
  value: "false"
{{- end }}

{{- define "w2meet.env.broker" }}
{{- include "w2meet.secretEnv" (dict "root" .root "env" "AMQP_URL" "secret" "amqp" "key" "key" "devKey" "AMQP_URL") }}
- name: QUEUE_PREFIX
  value: {{ .root.Values.queuePrefix | quote }}
{{- end }}

{{- define "w2meet.env.users" }}
{{- include "w2meet.env.database" . }}
{{- include "w2meet.secretEnv" (dict "root" .root "env" "REDIS_URL" "secret" "redis" "key" "key" "devKey" "REDIS_URL") }}
{{- include "w2meet.secretEnv" (dict "root" .root "env" "JWT_PRIVATE_KEY" "secret" "jwt" "key" "privateKeyKey" "devKey" "JWT_PRIVATE_KEY") }}
{{- if and (not .root.Values.dev.enabled) .root.Values.secrets.jwt.previousPublicKeysKey }}
{{- include "w2meet.secretEnv" (dict "root" .root "env" "JWT_PREVIOUS_PUBLIC_KEYS" "secret" "jwt" "key" "previousPublicKeysKey" "devKey" "") }}
{{- end }}
{{- include "w2meet.env.url" (dict "root" .root "env" "WORKER_URL" "to" "worker") }}
{{- include "w2meet.env.broker" . }}
{{- end }}

{{- define "w2meet.env.availability" }}
{{- include "w2meet.env.url" (dict "root" .root "env" "USERS_URL" "to" "users") }}
{{- include "w2meet.env.jwks" . }}
{{- end }}

{{- define "w2meet.env.suggestions" }}
{{- include "w2meet.env.url" (dict "root" .root "env" "AVAILABILITY_URL" "to" "availability") }}
{{- include "w2meet.env.jwks" . }}
{{- end }}

{{- define "w2meet.env.worker" }}
{{- include "w2meet.env.database" . }}
{{- include "w2meet.env.broker" . }}
{{- include "w2meet.secretEnv" (dict "root" .root "env" "SMTP_URL" "secret" "smtp" "key" "key" "devKey" "SMTP_URL") }}
{{- include "w2meet.env.url" (dict "root" .root "env" "SUGGESTIONS_URL" "to" "suggestions") }}
{{- include "w2meet.env.url" (dict "root" .root "env" "USERS_URL" "to" "users") }}
{{- include "w2meet.env.jwks" . }}
- name: PUBLIC_URL
  value: {{ .root.Values.publicUrl | quote }}
{{- end }}

{{- define "w2meet.env.gateway" }}
{{- include "w2meet.env.url" (dict "root" .root "env" "USERS_URL" "to" "users") }}
{{- include "w2meet.env.url" (dict "root" .root "env" "AVAILABILITY_URL" "to" "availability") }}
{{- include "w2meet.env.url" (dict "root" .root "env" "SUGGESTIONS_URL" "to" "suggestions") }}
{{- include "w2meet.env.url" (dict "root" .root "env" "WORKER_URL" "to" "worker") }}
{{- include "w2meet.env.url" (dict "root" .root "env" "WEB_URL" "to" "web") }}
{{- include "w2meet.env.jwks" . }}
{{- end }}

{{/* The page calls nothing itself: Traefik routes its /api, so its forwarding settings (USERS_URL, …) stay unset. */}}
{{- define "w2meet.env.web" }}
{{- end }}
