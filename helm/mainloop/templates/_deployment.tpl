{{/*
The Deployment of one of the four Quarkus services: hardened pod and container, probes on SmallRye
Health, its ConfigMap as environment (rolled by checksum/config), Secrets by reference, /tmp on an emptyDir.
Argument: dict
  "context"            the root context
  "component"          gateway | memory | agent | scheduler (its values key)
  "env"                the service's Secret-backed EnvVar list, rendered YAML
  "serviceAccountName" its service account
  "automountToken"     whether the pod gets a Kubernetes API token
  "replicas"           false when an HPA sets them
  "strategy"           the Deployment strategy
  "volumeMounts"       more mounts, rendered YAML (optional)
  "volumes"            more volumes, rendered YAML (optional)
*/}}
{{- define "mainloop.serviceDeployment" -}}
{{- $ctx := .context -}}
{{- $v := get $ctx.Values .component -}}
{{- $name := include "mainloop.componentName" . -}}
{{- $probes := $ctx.Values.global.probes -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "mainloop.labels" . | nindent 4 }}
spec:
  {{- if .replicas }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 3
  strategy:
    {{- toYaml .strategy | nindent 4 }}
  selector:
    matchLabels:
      {{- include "mainloop.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      annotations:
        checksum/config: {{ include "mainloop.checksum" (dict "context" $ctx "template" (printf "%s/configmap.yaml" .component)) }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      labels:
        {{- include "mainloop.labels" . | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ .serviceAccountName }}
      automountServiceAccountToken: {{ .automountToken }}
      enableServiceLinks: false
      {{- with $ctx.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- toYaml $ctx.Values.global.podSecurityContext | nindent 8 }}
      # the services stop within their 10 s graceful shutdown (quarkus.shutdown.timeout)
      terminationGracePeriodSeconds: 30
      containers:
        - name: {{ include "mainloop.componentLabel" . }}
          image: {{ include "mainloop.image" (dict "context" $ctx "image" $v.image) | quote }}
          imagePullPolicy: {{ $ctx.Values.global.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.service.port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ $name }}
          env:
            {{- .env | trim | nindent 12 }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: {{ $probes.startupPeriodSeconds }}
            failureThreshold: {{ $probes.startupFailureThreshold }}
            timeoutSeconds: {{ $probes.timeoutSeconds }}
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: {{ $probes.livenessPeriodSeconds }}
            failureThreshold: {{ $probes.livenessFailureThreshold }}
            timeoutSeconds: {{ $probes.timeoutSeconds }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: {{ $probes.readinessPeriodSeconds }}
            failureThreshold: {{ $probes.readinessFailureThreshold }}
            timeoutSeconds: {{ $probes.timeoutSeconds }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $ctx.Values.global.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- . | trim | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $ctx.Values.global.tmpSizeLimit }}
        {{- with .volumes }}
        {{- . | trim | nindent 8 }}
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/*
A Service for one of the four services. Argument: dict "context" $ "component" "gateway".
*/}}
{{- define "mainloop.serviceService" -}}
{{- $v := get .context.Values .component -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "mainloop.componentName" . }}
  namespace: {{ .context.Release.Namespace }}
  labels:
    {{- include "mainloop.labels" . | nindent 4 }}
  {{- with $v.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $v.service.type }}
  ports:
    - name: http
      port: {{ $v.service.port }}
      targetPort: http
      protocol: TCP
  selector:
    {{- include "mainloop.selectorLabels" . | nindent 4 }}
{{- end -}}

{{/*
A PodDisruptionBudget (minAvailable and maxUnavailable are exclusive, as in cert-manager's chart).
Argument: dict "context" $ "component" "gateway".
*/}}
{{- define "mainloop.pdb" -}}
{{- $v := get .context.Values .component -}}
{{- if $v.pdb.enabled -}}
{{- $min := toString $v.pdb.minAvailable -}}
{{- $max := toString $v.pdb.maxUnavailable -}}
{{- if and (ne $min "") (ne $max "") -}}
{{- fail (printf "%s.pdb: set either minAvailable or maxUnavailable, not both" .component) -}}
{{- end -}}
{{- if and (eq $min "") (eq $max "") -}}
{{- fail (printf "%s.pdb: set minAvailable or maxUnavailable" .component) -}}
{{- end -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "mainloop.componentName" . }}
  namespace: {{ .context.Release.Namespace }}
  labels:
    {{- include "mainloop.labels" . | nindent 4 }}
spec:
  {{- if ne $min "" }}
  minAvailable: {{ $v.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $v.pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "mainloop.selectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}
