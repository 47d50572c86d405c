{{/* Names, labels and references shared by every template. */}}

{{/* The chart's name. */}}
{{- define "w2meet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's base name: the release name, prefixed with the chart's unless it holds it already. */}}
{{- define "w2meet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The services of W2Meet, in the order compose lists them. */}}
{{- define "w2meet.services" -}}
users availability suggestions worker web gateway
{{- end }}

{{/* The name of one component's objects: (dict "root" $ "component" "users") → w2meet-users. */}}
{{- define "w2meet.componentName" -}}
{{- printf "%s-%s" (include "w2meet.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The headless Service of a component, which lists every ready pod's address in DNS. */}}
{{- define "w2meet.peersName" -}}
{{- printf "%s-%s-peers" (include "w2meet.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The base URL one service calls another at: its headless Service, so the caller sees every replica. */}}
{{- define "w2meet.serviceUrl" -}}
{{- $svc := index .root.Values .component }}
{{- printf "http://%s:%v" (include "w2meet.peersName" .) $svc.port }}
{{- end }}

{{- define "w2meet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object of a component: (dict "root" $ "component" "users"). */}}
{{- define "w2meet.labels" -}}
helm.sh/chart: {{ include "w2meet.chart" .root }}
{{ include "w2meet.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: w2meet
{{- end }}

{{/* The labels a component's selectors match: name, instance and component. */}}
{{- define "w2meet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "w2meet.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The image of an app: (dict "root" $ "component" "users") → w2meet/users:0.1.0. */}}
{{- define "w2meet.image" -}}
{{- $image := .root.Values.image }}
{{- $repository := printf "%s/%s" $image.repository .component }}
{{- if $image.registry }}
{{- $repository = printf "%s/%s" $image.registry $repository }}
{{- end }}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/* The generated development Secret (dev.enabled only). */}}
{{- define "w2meet.devSecretName" -}}
{{- printf "%s-dev" (include "w2meet.fullname" .) }}
{{- end }}

{{/*
An env var read from a Secret: (dict "root" $ "env" "REDIS_URL" "secret" "redis" "key" "key" "devKey" "REDIS_URL").
`secret` names an entry of .Values.secrets and `key` the field of it holding the key's name; an optional
`nameField` names another field holding the Secret's name (its existingSecret when that is empty). With
dev.enabled the dev Secret's `devKey` is read instead.
*/}}
{{- define "w2meet.secretEnv" -}}
{{- $ref := index .root.Values.secrets .secret }}
{{- $name := (index $ref (default "existingSecret" .nameField)) | default $ref.existingSecret }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      {{- if .root.Values.dev.enabled }}
      name: {{ include "w2meet.devSecretName" .root }}
      key: {{ .devKey }}
      {{- else }}
      name: {{ required (printf "secrets.%s.existingSecret is required" .secret) $name }}
      key: {{ required (printf "secrets.%s.%s is required" .secret .key) (index $ref .key) }}
      {{- end }}
{{- end }}

{{/* Plain settings as env vars, values as strings: (dict "settings" map). */}}
{{- define "w2meet.settingsEnv" -}}
{{- range $name, $value := .settings }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* The pod's security context: the distroless image's non-root user, by number. */}}
{{- define "w2meet.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The container's security context: nothing to escalate to, nothing to write but the /tmp volume. */}}
{{- define "w2meet.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
The preStop pause before SIGTERM: endpoints are removed while the pod still answers. The distroless
image has no sleep binary, so bun sleeps, unless the kubelet's own sleep action (1.30+) is chosen.
*/}}
{{- define "w2meet.preStop" -}}
{{- if .Values.preStop.nativeSleep }}
sleep:
  seconds: {{ .Values.preStop.sleepSeconds }}
{{- else }}
exec:
  command: ["bun", "-e", {{ printf "await Bun.sleep(%d)" (mul .Values.preStop.sleepSeconds 1000 | int) | quote }}]
{{- end }}
{{- end }}
