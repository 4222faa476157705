{{/* vim: set filetype=mustache: */}}

{{/*
The chart's name (app.kubernetes.io/name of every object).
*/}}
{{- define "mainloop.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The prefix of every object's name: the release name, or "<release>-mainloop" when the release name
does not contain the chart's name. Names are cut to 63 characters (DNS label).
*/}}
{{- define "mainloop.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Chart name and version (helm.sh/chart).
*/}}
{{- define "mainloop.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The components: the values key, the name suffix of their objects and their app.kubernetes.io/component.
*/}}
{{- define "mainloop.components" -}}
gateway: {suffix: gateway, component: gateway-service, port: 8080}
memory: {suffix: memory, component: memory-service, port: 8081}
agent: {suffix: agent, component: agent-service, port: 8082}
scheduler: {suffix: scheduler, component: scheduler-service, port: 8083}
cloudflared: {suffix: cloudflared, component: cloudflared, port: 2000}
test: {suffix: test, component: helm-test, port: 0}
{{- end -}}

{{/*
A component's name: "<fullname>-<suffix>", e.g. mainloop-gateway (its Deployment, Service, ConfigMap, ...).
Argument: dict "context" $ "component" "gateway".
*/}}
{{- define "mainloop.componentName" -}}
{{- $c := get (include "mainloop.components" .context | fromYaml) .component -}}
{{- printf "%s-%s" (include "mainloop.fullname" .context | trunc 50 | trimSuffix "-") $c.suffix -}}
{{- end -}}

{{/*
A component's app.kubernetes.io/component. Argument: dict "context" $ "component" "gateway".
*/}}
{{- define "mainloop.componentLabel" -}}
{{- $c := get (include "mainloop.components" .context | fromYaml) .component -}}
{{- $c.component -}}
{{- end -}}

{{/*
Labels of every object of the chart. Argument: dict "context" $ "component" "gateway" (component optional).
*/}}
{{- define "mainloop.labels" -}}
helm.sh/chart: {{ include "mainloop.chart" .context }}
{{ include "mainloop.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: mainloop
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Selector labels: name, instance and (with a component) component.
*/}}
{{- define "mainloop.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mainloop.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ include "mainloop.componentLabel" . }}
{{- end }}
{{- end -}}

{{/*
Labels of the operator-managed infrastructure (CloudNativePG Cluster, Strimzi Kafka): without
app.kubernetes.io/part-of=mainloop, which the operators may copy to their pods, so the mainloop
default-deny NetworkPolicy never selects the database or the brokers.
*/}}
{{- define "mainloop.infraLabels" -}}
helm.sh/chart: {{ include "mainloop.chart" .context }}
app.kubernetes.io/name: {{ include "mainloop.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
{{- end -}}

{{/*
Labels of the main thread's turn pods, as agent-service sets them
(agent-service/src/main/java/io/mainloop/agent/turnpod/TurnPods.java): what the NetworkPolicies select.
*/}}
{{- define "mainloop.turnPodSelector" -}}
app.kubernetes.io/name: agent-turn
app.kubernetes.io/component: main-thread-turn
app.kubernetes.io/part-of: mainloop
{{- end -}}

{{/*
Labels of the sub-agent pods, as agent-service sets them on every AgentTask Job
(agent-service/src/main/java/io/mainloop/agent/operator/AgentTaskJobs.java): what the NetworkPolicies select.
*/}}
{{- define "mainloop.subAgentSelector" -}}
app.kubernetes.io/name: agent-task
app.kubernetes.io/component: sub-agent
app.kubernetes.io/part-of: mainloop
{{- end -}}

{{/*
An image reference: registry/repository:tag (or @digest). The tag defaults to the chart's appVersion;
"latest" is refused. Argument: dict "context" $ "image" .Values.gateway.image.
*/}}
{{- define "mainloop.image" -}}
{{- $registry := .image.registry | default "" -}}
{{- $tag := .image.tag | default .context.Chart.AppVersion | toString -}}
{{- if eq $tag "latest" -}}
{{- fail (printf "image %s: the tag \"latest\" is not allowed; pin a version" .image.repository) -}}
{{- end -}}
{{- $ref := ternary (printf "%s/%s" $registry .image.repository) .image.repository (ne $registry "") -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $ref .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref $tag -}}
{{- end -}}
{{- end -}}

{{/*
The service account of the pods that need no Kubernetes API: gateway, memory, scheduler, cloudflared, the test.
*/}}
{{- define "mainloop.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mainloop.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
agent-service's service account (the Role below: Jobs, pods, AgentTasks in this namespace).
*/}}
{{- define "mainloop.agent.serviceAccountName" -}}
{{- if .Values.agent.serviceAccount.create -}}
{{- default (include "mainloop.componentName" (dict "context" . "component" "agent")) .Values.agent.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.agent.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The sub-agent Jobs' service account: no Role, no token.
*/}}
{{- define "mainloop.agentTask.serviceAccountName" -}}
{{- if .Values.agentTask.serviceAccount.create -}}
{{- default (printf "%s-agent-task" (include "mainloop.fullname" . | trunc 50 | trimSuffix "-")) .Values.agentTask.serviceAccount.name -}}
{{- else -}}
{{- required "agentTask.serviceAccount.name is required when agentTask.serviceAccount.create is false" .Values.agentTask.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
In-cluster base URL of a service: http://<name>:<port>. Argument: dict "context" $ "component" "memory".
*/}}
{{- define "mainloop.url" -}}
{{- $c := get (include "mainloop.components" .context | fromYaml) .component -}}
{{- printf "http://%s:%v" (include "mainloop.componentName" .) (get .context.Values .component).service.port -}}
{{- end -}}

{{/*
The CloudNativePG Cluster's name.
*/}}
{{- define "mainloop.cnpg.name" -}}
{{- printf "%s-postgresql" (include "mainloop.fullname" . | trunc 50 | trimSuffix "-") -}}
{{- end -}}

{{/*
The Strimzi Kafka cluster's name.
*/}}
{{- define "mainloop.strimzi.name" -}}
{{- printf "%s-kafka" (include "mainloop.fullname" . | trunc 40 | trimSuffix "-") -}}
{{- end -}}

{{/*
The JDBC URL of the database (one database, one schema per service).
*/}}
{{- define "mainloop.postgresql.jdbcUrl" -}}
{{- if .Values.postgresql.cnpg.enabled -}}
{{- printf "jdbc:postgresql://%s-rw:5432/%s" (include "mainloop.cnpg.name" .) .Values.postgresql.cnpg.database -}}
{{- else -}}
{{- required "postgresql.jdbcUrl is required (or postgresql.cnpg.enabled)" .Values.postgresql.jdbcUrl -}}
{{- end -}}
{{- end -}}

{{/*
The Secret holding the database credentials: postgresql.existingSecret, or the CloudNativePG
application Secret "<cluster>-app" (keys username, password).
*/}}
{{- define "mainloop.postgresql.secretName" -}}
{{- if .Values.postgresql.cnpg.enabled -}}
{{- printf "%s-app" (include "mainloop.cnpg.name" .) -}}
{{- else -}}
{{- required "postgresql.existingSecret is required: the Secret holding the database password" .Values.postgresql.existingSecret -}}
{{- end -}}
{{- end -}}

{{/*
The database credentials' environment (QUARKUS_DATASOURCE_USERNAME and _PASSWORD) of the four services.
*/}}
{{- define "mainloop.postgresql.env" -}}
{{- $secret := include "mainloop.postgresql.secretName" . -}}
{{- if or .Values.postgresql.cnpg.enabled .Values.postgresql.usernameKey }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ ternary "username" .Values.postgresql.usernameKey .Values.postgresql.cnpg.enabled }}
{{- end }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ ternary "password" .Values.postgresql.passwordKey .Values.postgresql.cnpg.enabled }}
{{- end -}}

{{/*
The configuration every service shares (its ConfigMap's first entries).
Argument: dict "context" $ "component" "gateway" ("javaOptions": more JVM options, optional).
*/}}
{{- define "mainloop.commonConfig" -}}
{{- $v := get .context.Values .component -}}
QUARKUS_HTTP_HOST: "0.0.0.0"
QUARKUS_HTTP_PORT: {{ $v.service.port | quote }}
QUARKUS_DATASOURCE_JDBC_URL: {{ include "mainloop.postgresql.jdbcUrl" .context | quote }}
{{- if not (or .context.Values.postgresql.cnpg.enabled .context.Values.postgresql.usernameKey) }}
QUARKUS_DATASOURCE_USERNAME: {{ .context.Values.postgresql.username | quote }}
{{- end }}
KAFKA_BOOTSTRAP_SERVERS: {{ include "mainloop.kafka.bootstrapServers" .context | quote }}
JAVA_TOOL_OPTIONS: {{ trim (printf "%s %s" ($v.javaToolOptions | default .context.Values.global.javaToolOptions) (.javaOptions | default "")) | quote }}
{{- end -}}

{{/*
The MCP HMAC key as the environment variable "name". Argument: dict "context" $ "name" "MAINLOOP_MEMORY_MCP_SECRET".
*/}}
{{- define "mainloop.mcp.env" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ required "mcp.existingSecret is required: the Secret holding the MCP HMAC key" .context.Values.mcp.existingSecret }}
      key: {{ .context.Values.mcp.secretKey }}
{{- end -}}

{{/*
The internal API token as the environment variable "name" (MAINLOOP_INTERNAL_API_TOKEN on memory, agent
and scheduler, which require it on /api; MAINLOOP_GATEWAY_INTERNAL_API_TOKEN on the gateway, which sends it).
Argument: dict "context" $ "name" "MAINLOOP_INTERNAL_API_TOKEN".
*/}}
{{- define "mainloop.internalApi.env" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ required "internalApi.existingSecret is required: the Secret holding the internal API token" .context.Values.internalApi.existingSecret }}
      key: {{ .context.Values.internalApi.secretKey }}
{{- end -}}

{{/*
Kafka's bootstrap servers.
*/}}
{{- define "mainloop.kafka.bootstrapServers" -}}
{{- if .Values.kafka.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap:9092" (include "mainloop.strimzi.name" .) -}}
{{- else -}}
{{- required "kafka.bootstrapServers is required (or kafka.strimzi.enabled)" .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{/*
checksum/config: the SHA-256 of a template's rendering, so pods roll when their configuration changes.
Argument: dict "context" $ "template" "gateway/configmap.yaml".
*/}}
{{- define "mainloop.checksum" -}}
{{- include (print .context.Template.BasePath "/" .template) .context | sha256sum -}}
{{- end -}}
