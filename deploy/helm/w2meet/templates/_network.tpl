{{/*
Who calls whom, as the apps' *_URL settings say (JWKS_URL included: every service but users fetches
the users service's public keys), and which data stores each reaches. NetworkPolicies are made of these.
*/}}
{{- define "w2meet.calls" -}}
users: [worker]
availability: [users]
suggestions: [availability, users]
worker: [suggestions, users]
# The page calls nothing: in the cluster Traefik routes /api, and its forwarding settings stay unset.
web: []
gateway: [users, availability, suggestions, worker, web]
{{- end }}

{{- define "w2meet.stores" -}}
users: [postgres, redis, amqp]
worker: [postgres, amqp, smtp]
{{- end }}

{{/* The development dependency standing in for each data store, and the port it listens on. */}}
{{- define "w2meet.devStores" -}}
postgres: { component: dev-postgres, port: 5432 }
redis: { component: dev-redis, port: 6379 }
amqp: { component: dev-rabbitmq, port: 5672 }
smtp: { component: dev-mailpit, port: 1025 }
{{- end }}

{{/* The labels every pod of the release carries, whatever its component. */}}
{{- define "w2meet.releaseLabels" -}}
app.kubernetes.io/name: {{ include "w2meet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* A NetworkPolicyPeer from values: a namespaceSelector and/or a podSelector. */}}
{{- define "w2meet.peer" -}}
{{- $peer := dict }}
{{- with .namespaceSelector }}{{ $_ := set $peer "namespaceSelector" . }}{{ end }}
{{- with .podSelector }}{{ $_ := set $peer "podSelector" . }}{{ end }}
{{- if not $peer }}{{ fail "a networkPolicy peer needs a namespaceSelector or a podSelector" }}{{ end }}
{{- toYaml $peer }}
{{- end }}

{{/*
An egress rule to a data store: (dict "root" $ "store" "postgres"). With dev.enabled, the dev pod of
that store; otherwise the port networkPolicy.<store>.port to the peers of networkPolicy.<store>.to
(any address when that list is empty).
*/}}
{{- define "w2meet.storeEgress" -}}
{{- if .root.Values.dev.enabled }}
{{- $dev := index (include "w2meet.devStores" . | fromYaml) .store }}
- to:
    - podSelector:
        matchLabels:
          {{- include "w2meet.selectorLabels" (dict "root" .root "component" $dev.component) | nindent 10 }}
  ports:
    - { protocol: TCP, port: {{ $dev.port }} }
{{- else }}
{{- $store := index .root.Values.networkPolicy .store }}
- ports:
    - { protocol: TCP, port: {{ $store.port }} }
  {{- with $store.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
