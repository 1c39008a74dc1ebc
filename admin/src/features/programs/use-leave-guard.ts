import { useConfirm } from 'primevue/useconfirm';
import { type MaybeRefOrGetter, toValue } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';

/** Asks before leaving a page whose edits are not saved (navigation inside the app). */
export function useLeaveGuard(dirty: MaybeRefOrGetter<boolean>) {
  const confirm = useConfirm();
  onBeforeRouteLeave(() => {
    if (!toValue(dirty)) return true;
    return new Promise<boolean>((resolve) => {
      confirm.require({
        header: 'Leave without saving?',
        message: 'Your changes to this program are not saved and will be lost.',
        icon: 'pi pi-exclamation-triangle',
        acceptProps: { label: 'Leave', severity: 'danger' },
        rejectProps: { label: 'Stay', severity: 'secondary', outlined: true },
        accept: () => resolve(true),
        reject: () => resolve(false),
        onHide: () => resolve(false),
      });
    });
  });
}
