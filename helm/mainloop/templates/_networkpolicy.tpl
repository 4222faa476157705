{{/*
NetworkPolicy building blocks. Every mainloop pod (app.kubernetes.io/part-of: mainloop, the sub-agent
Jobs' pods included) is denied all traffic by the default policy; these add the flows it needs.
*/}}

{{/*
A podSelector peer for a component of this release. Argument: dict "context" $ "component" "gateway".
*/}}
{{- define "mainloop.np.peer" -}}
- podSelector:
    matchLabels:
      {{- include "mainloop.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/*
The sub-agent pods as a peer.
*/}}
{{- define "mainloop.np.subAgentPeer" -}}
- podSelector:
    matchLabels:
      {{- include "mainloop.subAgentSelector" . | nindent 6 }}
{{- end -}}

{{/*
The main thread's turn pods (agent.turns.mode=kubernetes) as a peer.
*/}}
{{- define "mainloop.np.turnPodPeer" -}}
- podSelector:
    matchLabels:
      {{- include "mainloop.turnPodSelector" . | nindent 6 }}
{{- end -}}

{{/*
An egress or ingress rule: "peers" (rendered YAML list, or "" for anywhere) on "ports" (a list of
NetworkPolicyPort). Argument: dict "direction" "to"|"from" "peers" <yaml> "ports" <list>.
*/}}
{{- define "mainloop.np.rule" -}}
- ports:
    {{- toYaml .ports | nindent 4 }}
  {{- with .peers }}
  {{ $.direction }}:
    {{- . | trim | nindent 4 }}
  {{- end }}
{{- end -}}

{{/*
A port list with one TCP port.
*/}}
{{- define "mainloop.np.tcp" -}}
- port: {{ . }}
  protocol: TCP
{{- end -}}

{{/*
Egress to PostgreSQL and Kafka: the operators' pods when they are rendered here, else the configured peers.
*/}}
{{- define "mainloop.np.backendEgress" -}}
{{- $np := .Values.networkPolicy -}}
{{- $pgPeers := ternary (printf "- podSelector:\n    matchLabels:\n      cnpg.io/cluster: %s" (include "mainloop.cnpg.name" .)) (ternary "" (toYaml $np.postgresql.to) (empty $np.postgresql.to)) .Values.postgresql.cnpg.enabled -}}
{{- $kafkaPeers := ternary (printf "- podSelector:\n    matchLabels:\n      strimzi.io/cluster: %s" (include "mainloop.strimzi.name" .)) (ternary "" (toYaml $np.kafka.to) (empty $np.kafka.to)) .Values.kafka.strimzi.enabled -}}
{{ include "mainloop.np.rule" (dict "direction" "to" "peers" $pgPeers "ports" $np.postgresql.ports) }}
{{ include "mainloop.np.rule" (dict "direction" "to" "peers" $kafkaPeers "ports" $np.kafka.ports) }}
{{- end -}}

{{/*
Ingress from the metrics scrapers on "port". Argument: dict "context" $ "port" 8080.
*/}}
{{- define "mainloop.np.metricsIngress" -}}
{{- with .context.Values.networkPolicy.metricsFrom }}
{{ include "mainloop.np.rule" (dict "direction" "from" "peers" (toYaml .) "ports" (include "mainloop.np.tcp" $.port | fromYamlArray)) }}
{{- end }}
{{- end -}}

{{/*
Egress to the internet (networkPolicy.internet): HTTPS anywhere, or to the configured peers.
*/}}
{{- define "mainloop.np.internetEgress" -}}
{{- $i := .Values.networkPolicy.internet -}}
{{ include "mainloop.np.rule" (dict "direction" "to" "peers" (ternary "" (toYaml $i.to) (empty $i.to)) "ports" $i.ports) }}
{{- end -}}

{{/*
One component's NetworkPolicy. Argument: dict "context" $ "component" "gateway" "ingress" <yaml rules> "egress" <yaml rules>.
*/}}
{{- define "mainloop.np.policy" -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "mainloop.componentName" . }}
  namespace: {{ .context.Release.Namespace }}
  labels:
    {{- include "mainloop.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "mainloop.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  {{- if trim .ingress }}
  ingress:
    {{- .ingress | trim | nindent 4 }}
  {{- else }}
  ingress: []
  {{- end }}
  {{- if trim .egress }}
  egress:
    {{- .egress | trim | nindent 4 }}
  {{- else }}
  egress: []
  {{- end }}
{{- end -}}
