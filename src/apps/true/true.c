/* true: do nothing, successfully.  The small program the benchmark execs. */
int
main(void)
{
	return 0;
}
