"""nbgrader preprocessors of this course, one transformation each: points at release time;
lenient reading, rebuild from release and sandboxed grading at autograde time."""
