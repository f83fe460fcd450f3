package emit

import "time"

// acquireLock takes the lock at path, calling waiting once if another run
// holds it, and waiting at most timeout (forever when timeout < 0). The
// platform's tryLock makes one attempt: a lock, or the holder's
// description when another run has it.
func acquireLock(path string, timeout time.Duration, waiting func(holder string)) (*lock, error) {
	var deadline time.Time
	if timeout >= 0 {
		deadline = time.Now().Add(timeout)
	}
	told := false
	for {
		l, holder, err := tryLock(path)
		if err != nil || l != nil {
			return l, err
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			return nil, &LockedError{Path: path, Holder: holder, Timeout: timeout}
		}
		if !told && waiting != nil {
			waiting(holder)
			told = true
		}
		time.Sleep(50 * time.Millisecond)
	}
}
