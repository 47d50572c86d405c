{{/*
Development dependencies (dev.enabled): they and their Secret are pre-install hooks of a lower weight
than the migration Jobs, so they exist before the Jobs run. Helm creates hook objects once and does not
delete them with the release: README ("Trying it on a laptop") says how to remove them.
*/}}
{{- define "w2meet.devHook" -}}
helm.sh/hook: pre-install
helm.sh/hook-weight: "-10"
helm.sh/hook-delete-policy: before-hook-creation
{{- end }}

{{/*
The host name of a development dependency's Service, namespace included so that KEDA's operator, in a
namespace of its own, resolves the AMQP URL too: (dict "root" $ "component" "dev-rabbitmq").
*/}}
{{- define "w2meet.devHost" -}}
{{- printf "%s.%s.svc" (include "w2meet.componentName" .) .root.Release.Namespace }}
{{- end }}

{{/* The head of a dev dependency object: (dict "root" $ "component" "dev-postgres" "kind" "Service"). */}}
{{- define "w2meet.devMeta" -}}
metadata:
  name: {{ include "w2meet.componentName" . }}
  labels:
    {{- include "w2meet.labels" . | nindent 4 }}
  annotations:
    {{- include "w2meet.devHook" . | nindent 4 }}
{{- end }}
