//go:build !unix

package rules

func cpuTime() float64 { return -1 }
