{{- define "apps.pinned" -}}
{{- if or (not .Values.targetRevision) (has .Values.targetRevision (list "HEAD" "main" "master")) -}}
{{- fail "targetRevision must be a release tag (e.g. v0.1.0), not a moving branch" -}}
{{- end -}}
{{- .Values.targetRevision -}}
{{- end -}}
