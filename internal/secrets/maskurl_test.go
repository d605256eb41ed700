package secrets

import (
	"strings"
	"testing"
)

func TestMaskURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://partner.example/hooks", "https://partner.example/hooks"},
		{"https://partner.example/hooks?apikey=SuperSecretApiKey123&x=1", "https://partner.example/hooks?apikey=••••••••y123&x=••••••••"},
		{"https://partner.example/h?token=a%2Fb%3Dcdefghijklmnop&flag", "https://partner.example/h?token=••••••••mnop&flag"},
		{"https://user:hunter2@partner.example/", "https://user:xxxxx@partner.example/"},
		{"::not a url", Mask("::not a url")},
	} {
		if got := MaskURL(tt.in); got != tt.want {
			t.Errorf("MaskURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(MaskURL(tt.in), "SuperSecret") || strings.Contains(MaskURL(tt.in), "hunter2") {
			t.Errorf("MaskURL(%q) shows the secret", tt.in)
		}
	}
}
