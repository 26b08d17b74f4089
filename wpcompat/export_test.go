package wpcompat

// OptionReads is how many CachedOption calls read the database themselves so far.
func (s *Site) OptionReads() int64 { return s.optionReads.Load() }
