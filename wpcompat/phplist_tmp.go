package wpcompat

func phpStringList(raw string) []string { return nil }
