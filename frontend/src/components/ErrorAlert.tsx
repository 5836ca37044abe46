/** The red alert shown when a request failed. */
export function ErrorAlert({ message }: { message: string }) {
  return (
    <div className="alert alert-error" role="alert" data-testid="error-alert">
      {message}
    </div>
  );
}
