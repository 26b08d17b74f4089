package wpcompat

type Config struct {
	TablePrefix    string
	HasTablePrefix bool
	Warnings       []string
	Path           string
}

func (c *Config) String(name string) (string, bool) { return "", false }
func (c *Config) Bool(name string) bool              { return false }

type cfgStubExtra struct{}

func ParseConfigFile(path string, env func(string) (string, bool)) (*Config, error) { return &Config{}, nil }
func (c *Config) EnvironmentType() string                                             { return "production" }
func (c *Config) DSN(defaultSocket string) (string, error)                            { return "", nil }
func (c *Config) Multisite() bool                                                     { return false }
